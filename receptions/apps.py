from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReceptionsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "receptions"
    verbose_name = _("receptions and requests")

    def ready(self) -> None:
        # The station's figures count receptions and requests: this app registers their sources with the
        # statistics (which cannot import this app: it sits below it).
        from . import figures

        figures.register()
