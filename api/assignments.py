"""Batch assignment runs: propose who should go to which opening, then accept pairs as recommendations.

Liaison staff run them over their station's residents; bureau staff and admins over the county.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from config.roles import Role, has_role
from config.tasks import fire
from jobs.models import JobPosting
from matching import services
from matching.models import AssignmentAcceptance, AssignmentRun
from residents.models import Resident
from stations.selectors import residents_visible_to

from .mixins import ApiViewMixin


class AssignmentInputSerializer(serializers.Serializer):
    mode = serializers.ChoiceField(choices=AssignmentRun.Mode.choices, default=AssignmentRun.Mode.OPTIMAL)
    k = serializers.IntegerField(min_value=1, max_value=200, default=50,
                                 help_text=_("Candidate postings considered per resident."))


class AcceptInputSerializer(serializers.Serializer):
    residents = serializers.ListField(child=serializers.IntegerField(min_value=1, max_value=2**63 - 1),
                                      required=False, max_length=20000,
                                      help_text=_("Accept only these residents' pairs; all when omitted."))


class AcceptanceSerializer(serializers.ModelSerializer):
    """An acceptance of a run's pairs: its progress, then the recommendations made and the pairs skipped."""

    skipped = serializers.ListField(child=serializers.DictField(), read_only=True,
                                    help_text=_("Pairs not recommended: {resident, posting, reason}."))
    created = serializers.ListField(child=serializers.IntegerField(), read_only=True,
                                    help_text=_("Ids of the recommendations made."))

    class Meta:
        model = AssignmentAcceptance
        fields = ["id", "run", "status", "total", "done", "created", "skipped", "error", "created_at",
                  "finished_at"]
        read_only_fields = fields


class AssignmentRunSerializer(serializers.ModelSerializer):
    pairs = serializers.SerializerMethodField()

    class Meta:
        model = AssignmentRun
        fields = ["id", "mode", "status", "k", "summary", "error", "created_at", "finished_at", "pairs"]

    def get_pairs(self, run) -> list[dict]:
        pairs = run.proposal[:2000]
        names = dict(Resident.objects.filter(pk__in=[p[0] for p in pairs]).values_list("id", "name"))
        titles = dict(JobPosting.objects.filter(pk__in=[p[1] for p in pairs]).values_list("id", "title"))
        return [{"resident": r, "resident_name": names.get(r), "posting": p, "posting_title": titles.get(p),
                 "score": s} for r, p, s in pairs]


class AssignmentRunViewSet(ApiViewMixin, mixins.CreateModelMixin, mixins.RetrieveModelMixin,
                           mixins.ListModelMixin, viewsets.GenericViewSet):
    """Start a run (202; poll it until `finished`), read its proposal, accept pairs."""

    serializer_class = AssignmentRunSerializer
    read_roles = (Role.LIAISON, Role.BUREAU)
    write_roles = (Role.LIAISON, Role.BUREAU)
    action_roles = {"accept": (Role.LIAISON,)}
    filter_backends: list = []

    queryset = AssignmentRun.objects.all()

    def get_queryset(self):
        user = self.request.user
        if getattr(self, "swagger_fake_view", False) or user.is_superuser:
            return AssignmentRun.objects.all()
        return AssignmentRun.objects.filter(created_by=user)

    def _scope(self):
        user = self.request.user
        if user.is_superuser or has_role(user, Role.BUREAU):
            return Resident.objects.all()
        return residents_visible_to(user)

    @extend_schema(request=AssignmentInputSerializer, responses={202: AssignmentRunSerializer})
    def create(self, request, *args, **kwargs):
        data = AssignmentInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        ids = self._scope().filter(employment_status=Resident.EmploymentStatus.SEEKING).values_list("id", flat=True)
        run = services.assignment_run_create(created_by=request.user, resident_ids=ids, **data.validated_data)
        fire("matching.tasks.assignment_run", run.pk)
        return Response(self.get_serializer(run).data, status=status.HTTP_202_ACCEPTED)

    @extend_schema(request=AcceptInputSerializer, responses={202: AcceptanceSerializer},
                   summary=_("Recommend the proposed pairs (in the background)"),
                   description=_("Answers 202 at once with the acceptance; a task recommends the pairs in chunks "
                                 "(each pair checked again first). Poll `acceptances/` for its progress. All or "
                                 "nothing: if it cannot finish, the recommendations it made are taken back."))
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        """Recommend the proposed pairs (of the given residents) of the caller's station."""
        run = self.get_object()
        data = AcceptInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        visible = set(residents_visible_to(request.user).filter(pk__in=run.resident_ids).values_list("id", flat=True))
        wanted = data.validated_data.get("residents")
        wanted = visible if wanted is None else set(wanted) & visible
        acceptance = services.assignment_acceptance_create(run=run, actor=request.user, resident_ids=wanted)
        acceptance.refresh_from_db()  # eager (no broker): it may have run already
        return Response(AcceptanceSerializer(acceptance).data, status=status.HTTP_202_ACCEPTED)

    @extend_schema(responses={200: AcceptanceSerializer(many=True)},
                   summary=_("The run's acceptances, newest first, with their progress"))
    @action(detail=True, methods=["get"], pagination_class=None)
    def acceptances(self, request, pk=None):
        run = self.get_object()
        return Response(AcceptanceSerializer(run.acceptances.all()[:20], many=True).data)
