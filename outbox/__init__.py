"""Tasks that a write asked for and the broker could not take yet, kept in the database until it can."""
