

def test_results_built_by_the_explainer_equal_those_built_by_the_dataclass():
    """The explainer skips MatchResult's frozen __init__ for speed: every field must still be set, and the
    value must equal (and hash like) the one the dataclass itself builds."""
    from dataclasses import fields

    from matching.engine import JobIndex as Jobs
    from matching.engine import MatchResult, ResidentIndex, rank_all

    from .factories import random_world

    world = random_world(3, 30, 40)
    residents = ResidentIndex.from_profiles(world.residents, world.catalog)
    jobs = Jobs.from_profiles(world.jobs, world.catalog)
    built = [r for _rid, rows in rank_all(residents, jobs, k=5, today=world.today, courses=world.courses)
             for r in rows]
    assert built
    names = {f.name for f in fields(MatchResult)}
    for result in built:
        assert set(vars(result)) == names
        rebuilt = MatchResult(**{name: getattr(result, name) for name in names})
        assert rebuilt == result
        assert hash(rebuilt) == hash(result)
