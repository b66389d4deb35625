"""Curation: what patrons report about resources, and the broken links curators fix."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history import register

from resources.models.catalogue import Resource
from resources.models.offers import SchoolOffer

# School offers keep their history like resources (who, when, which fields, the old values). Registered here
# so that the offers module stays its own; another model joins with one more line. Booking requests are left
# out on purpose: they hold teachers' personal data, which is removed after the visit and must not live on
# in old versions.
register(SchoolOffer, app="resources", excluded_fields=["search_vector", "updated_at"])


class ProblemKind(models.TextChoices):
    BROKEN_LINK = "broken_link", _("the link does not work")
    WRONG_INFORMATION = "wrong_information", _("the information is wrong")
    OTHER = "other", _("something else")


class ReportStatus(models.TextChoices):
    OPEN = "open", _("open")
    RESOLVED = "resolved", _("resolved")


class ProblemReportQuerySet(models.QuerySet["ProblemReport"]):
    def open(self) -> ProblemReportQuerySet:
        return self.filter(status=ReportStatus.OPEN)


class ProblemReport(models.Model):
    """A patron's note that something is wrong with a resource; it lands in the owning team's queue."""

    resource = models.ForeignKey(
        Resource, verbose_name=_("resource"), on_delete=models.CASCADE, related_name="problem_reports"
    )
    kind = models.CharField(_("problem"), max_length=20, choices=ProblemKind.choices)
    message = models.TextField(
        _("message"), max_length=1000, blank=True, help_text=_("What the patron wrote, as they wrote it.")
    )
    status = models.CharField(_("status"), max_length=10, choices=ReportStatus.choices, default=ReportStatus.OPEN)
    created_at = models.DateTimeField(_("reported"), auto_now_add=True)
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True, editable=False)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("resolved by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )

    objects = ProblemReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("problem report")
        verbose_name_plural = _("problem reports")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=ProblemKind.values), name="resources_problemreport_kind_valid"),
            models.CheckConstraint(
                condition=Q(status__in=ReportStatus.values), name="resources_problemreport_status_valid"
            ),
        ]
        indexes = [models.Index(fields=["status", "-created_at"], name="resources_report_status")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.resource}"

    def get_absolute_url(self) -> str:
        return self.resource.get_absolute_url()


class BrokenLink(Resource):
    """The resources whose web address failed its last checks: the curators' work queue in the admin."""

    class Meta:
        proxy = True
        verbose_name = _("broken link")
        verbose_name_plural = _("broken links")
        ordering = ["-link_failures", "-pk"]
