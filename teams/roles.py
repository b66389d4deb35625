"""The staff roles, as auth groups with model permissions.

What each role may do in the admin (``teams.access`` narrows the rows to the person's library and teams):

- Coordinators run the site: they add, change, delete and view libraries, learning teams, memberships,
  staff accounts, knowledge areas, resources and tags. Membership of the group is what makes someone a
  coordinator; they need not be superusers.
- Team leads review and publish what their team's curators prepare: they add, change, delete and view
  resources, manage their team's memberships (which the admin edits on the team's page, so they may also
  change the team), and view libraries, knowledge areas, staff and tags.
- Curators prepare resources: they add, change and view resources (but not delete them), and view
  libraries, learning teams, knowledge areas, staff and tags.
- Curation: everyone above sees the broken links and patrons' problem reports of their library and teams,
  and marks reports resolved. Who may publish (team leads) is decided in ``teams.access``, not here.
- Staff sharing: coordinators manage everything, questionnaires and reflections included (reflections are
  their authors' to write, on the staff pages); team leads manage their teams' activities and sign-ups and
  their library's exchange-bank entries, and view and delete their teams' self-assessments; curators add,
  change and view activities, sign-ups and their library's exchange-bank entries.
- Background jobs: coordinators see the task queue's jobs (failed e-mails among them) and send them again.
- Accounts: coordinators see patrons' accounts and follows, and delete one when its owner asks.
- Sign-in lockouts: coordinators see the failed sign-ins (django-axes' access attempts) and lift a lockout
  by deleting its row.
- School offers: coordinators manage subjects, offers, sessions and booking requests; team leads and
  curators add, change and view offers and their sessions, and view and answer (change) the booking
  requests of their own library.
- Harvest sources: coordinators and team leads manage the OAI-PMH repositories their library harvests; curators
  add, change and view them (only leads may set one to publish at once, which ``teams.access`` decides).
- Usage statistics: everyone above views them, narrowed to their library's and teams' figures (``resources.usage``).

Permissions are named by app label and codename, so this module needs no other app's models.
"""

from __future__ import annotations

from functools import reduce
from operator import or_

from django.contrib.auth.models import Group, Permission
from django.db.models import Q

from teams.access import COORDINATORS_GROUP, CURATORS_GROUP, TEAM_LEADS_GROUP

ALL = ("add", "change", "delete", "view")

# group name -> {(app_label, model name): actions}
ROLE_PERMISSIONS: dict[str, dict[tuple[str, str], tuple[str, ...]]] = {
    COORDINATORS_GROUP: {
        ("teams", "library"): ALL,
        ("teams", "learningteam"): ALL,
        ("teams", "membership"): ALL,
        ("teams", "user"): ALL,
        ("resources", "knowledgearea"): ALL,
        ("resources", "resource"): ALL,
        ("resources", "problemreport"): ALL,
        ("resources", "brokenlink"): ("view",),
        ("resources", "termgroup"): ALL,
        ("resources", "term"): ALL,
        ("resources", "subject"): ALL,
        ("resources", "schooloffer"): ALL,
        ("resources", "offersession"): ALL,
        ("resources", "bookingrequest"): ALL,
        ("resources", "harvestsource"): ALL,
        ("resources", "resourceusage"): ("view",),
        ("taggit", "tag"): ALL,
        ("teams", "activity"): ALL,
        ("teams", "participation"): ALL,
        ("teams", "reflection"): ALL,
        ("teams", "experience"): ALL,
        ("teams", "triedtoo"): ALL,
        ("teams", "questionnaire"): ALL,
        ("teams", "dimension"): ALL,
        ("teams", "statement"): ALL,
        ("teams", "assessment"): ALL,
        ("teams", "answer"): ALL,
        # The task queue's jobs (read only, with "retry", "cancel" and "abort" actions): what failed and why.
        ("procrastinate", "procrastinatejob"): ("view",),
        ("axes", "accessattempt"): ("view", "delete"),
        # Patrons' accounts and follows (portal/accounts): seen and, when asked, deleted; the person changes them.
        ("accounts", "account"): ("view", "delete"),
        ("accounts", "follow"): ("view", "delete"),
    },
    TEAM_LEADS_GROUP: {
        ("teams", "library"): ("view",),
        ("teams", "learningteam"): ("change", "view"),
        ("teams", "membership"): ALL,
        ("teams", "user"): ("view",),
        ("resources", "knowledgearea"): ("view",),
        ("resources", "resource"): ALL,
        ("resources", "problemreport"): ("change", "view"),
        ("resources", "brokenlink"): ("view",),
        ("resources", "subject"): ("view",),
        ("resources", "schooloffer"): ("add", "change", "view"),
        ("resources", "offersession"): ("add", "change", "view"),
        ("resources", "bookingrequest"): ("change", "view"),
        ("resources", "harvestsource"): ALL,
        ("resources", "resourceusage"): ("view",),
        ("taggit", "tag"): ("view",),
        ("teams", "activity"): ALL,
        ("teams", "participation"): ALL,
        ("teams", "experience"): ALL,
        ("teams", "triedtoo"): ("view",),
        ("teams", "assessment"): ("view", "delete"),
    },
    CURATORS_GROUP: {
        ("teams", "library"): ("view",),
        ("teams", "learningteam"): ("view",),
        ("teams", "user"): ("view",),
        ("resources", "knowledgearea"): ("view",),
        ("resources", "resource"): ("add", "change", "view"),
        ("resources", "problemreport"): ("change", "view"),
        ("resources", "brokenlink"): ("view",),
        ("resources", "subject"): ("view",),
        ("resources", "schooloffer"): ("add", "change", "view"),
        ("resources", "offersession"): ("add", "change", "view"),
        ("resources", "bookingrequest"): ("change", "view"),
        ("resources", "harvestsource"): ("add", "change", "view"),
        ("resources", "resourceusage"): ("view",),
        ("taggit", "tag"): ("view",),
        ("teams", "activity"): ("add", "change", "view"),
        ("teams", "participation"): ("add", "change", "view"),
        ("teams", "experience"): ("add", "change", "view"),
        ("teams", "triedtoo"): ("view",),
        ("teams", "assessment"): ("view",),
    },
}


def _codenames(group_name: str) -> set[tuple[str, str]]:
    """The (app_label, codename) pairs a role is granted."""
    return {
        (app_label, f"{action}_{model}")
        for (app_label, model), actions in ROLE_PERMISSIONS[group_name].items()
        for action in actions
    }


def ensure_role_groups() -> dict[str, Group]:
    """Create the three role groups, or bring their permissions back to the ones above.

    Safe to run any number of times. Needs the permissions Django creates after ``migrate``; raises
    ``LookupError`` naming any that are missing rather than quietly granting less.
    """
    wanted = {pair for name in ROLE_PERMISSIONS for pair in _codenames(name)}
    condition = reduce(or_, (Q(content_type__app_label=app, codename=codename) for app, codename in wanted))
    found = {
        (permission.content_type.app_label, permission.codename): permission
        for permission in Permission.objects.filter(condition).select_related("content_type")
    }
    if missing := wanted - found.keys():
        names = ", ".join(sorted(f"{app}.{codename}" for app, codename in missing))
        raise LookupError(f"Permissions not found (has migrate run?): {names}")

    groups: dict[str, Group] = {}
    for name in ROLE_PERMISSIONS:
        group, _created = Group.objects.get_or_create(name=name)
        group.permissions.set([found[key] for key in _codenames(name)])
        groups[name] = group
    return groups
