"""Sign up, verify, sign in and out, the account page, delete the account; follow and unfollow."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.utils.encoding import force_str
from django.utils.http import url_has_allowed_host_and_scheme, urlsafe_base64_decode
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from portal.accounts.forms import AccountForm, DeleteAccountForm, SignInForm, SignUpForm
from portal.accounts.kinds import KINDS, SearchKind
from portal.accounts.selectors import followed
from portal.accounts.services import (
    account_delete,
    account_for,
    account_sign_up,
    account_update,
    account_verify,
    follow_create,
    follow_delete,
)
from portal.accounts.tokens import read_unfollow_token, verification_token
from resources.offers.emails import site_url
from resources.ratelimit import over_limit
from teams.forms import QueuedPasswordResetForm
from teams.models import User


def posted(request: HttpRequest) -> Any:
    """The form's data when the form was sent (even empty), None when the page is only shown."""
    return request.POST if request.method == "POST" else None


def too_many(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/too_many.html", status=429)


def sign_up(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("accounts:account")
    form = SignUpForm(posted(request), initial={"language": translation.get_language()})
    if request.method == "POST" and form.is_valid():
        if over_limit(request, scope="sign-up", limit=settings.ACCOUNT_RATE_LIMIT):
            return too_many(request)
        account_sign_up(
            email=form.cleaned_data["email"],
            password=form.cleaned_data["password1"],
            language=form.cleaned_data["language"],
            base_url=site_url(request),
        )
        return redirect("accounts:sign-up-done")
    return render(request, "accounts/sign_up.html", {"form": form})


def sign_up_done(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/sign_up_done.html")


def verify(request: HttpRequest, uidb64: str, token: str) -> HttpResponse:
    """Open the account whose address the link was sent to, and sign its owner in."""
    try:
        user = User.objects.filter(pk=int(force_str(urlsafe_base64_decode(uidb64))), is_active=False).first()
    except (ValueError, OverflowError):
        user = None
    if user is None or not verification_token.check_token(user, token):
        return render(request, "accounts/verify_failed.html")
    account_verify(user=user)
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    messages.success(request, _("Your e-mail address is verified and your account is open."))
    return redirect("accounts:account")


class SignInView(auth_views.LoginView):
    template_name = "accounts/sign_in.html"
    form_class = SignInForm
    redirect_authenticated_user = True
    next_page = "accounts:account"


class PasswordResetView(auth_views.PasswordResetView):
    """Django's password reset by e-mail (the e-mail is a job), limited per address like the sign-up."""

    form_class = QueuedPasswordResetForm

    def form_valid(self, form: Any) -> HttpResponse:
        if over_limit(self.request, scope="password-reset", limit=settings.ACCOUNT_RATE_LIMIT):
            return too_many(self.request)
        return super().form_valid(form)


@login_required
def account(request: HttpRequest) -> HttpResponse:
    settings_of = account_for(request.user)  # type: ignore[arg-type]
    form = AccountForm(posted(request), instance=settings_of)
    if request.method == "POST" and form.is_valid():
        account_update(
            account=settings_of, language=form.cleaned_data["language"], frequency=form.cleaned_data["frequency"]
        )
        messages.success(request, _("Your settings are saved."))
        return redirect("accounts:account")
    return render(request, "accounts/account.html", {"form": form, "follows": followed(request.user)})


@login_required
def delete(request: HttpRequest) -> HttpResponse:
    if request.user.is_staff:
        return render(request, "accounts/delete_staff.html")
    form = DeleteAccountForm(posted(request))
    if request.method == "POST" and form.is_valid():
        user = request.user
        logout(request)
        account_delete(user=user)  # type: ignore[arg-type]
        return redirect("accounts:deleted")
    return render(request, "accounts/delete.html", {"form": form})


def deleted(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/deleted.html")


def _back(request: HttpRequest, fallback: str) -> HttpResponseRedirect:
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        back = fallback
    return HttpResponseRedirect(back)


@require_POST
@login_required
def follow(request: HttpRequest) -> HttpResponse:
    """Follow (or, with ``stop``, stop following) what the page's button names: a kind and a thing's id, or a
    saved search's query string."""
    kind = KINDS.get(request.POST.get("kind", ""))
    if kind is None:
        raise Http404
    target_id, query, target = None, "", None
    if kind.model is None:
        query = SearchKind.normalised(QueryDict(request.POST.get("query", ""))) or ""
        if not query:
            messages.error(request, _("This search cannot be followed: correct it first."))
            return _back(request, "/")
    else:
        try:
            target_id = int(request.POST.get("target", ""))
        except ValueError:
            raise Http404 from None
        target = get_object_or_404(kind.model, pk=target_id)
        if not kind.may_follow(request.user, target):
            raise Http404
    fallback = kind.path(target, query)
    if request.POST.get("stop"):
        existing = request.user.follows.filter(kind=kind.key, target_id=target_id, query=query).first()  # type: ignore[union-attr]
        if existing is not None:
            follow_delete(user_id=request.user.pk, follow_id=existing.pk)  # type: ignore[arg-type]
        messages.success(request, _("You no longer follow %(name)s.") % {"name": kind.name(target, query)})
    else:
        follow_create(user=request.user, kind=kind.key, target_id=target_id, query=query)  # type: ignore[arg-type]
        messages.success(
            request,
            _("You follow %(name)s. What is new comes in your digest e-mail.") % {"name": kind.name(target, query)},
        )
    return _back(request, fallback)


@csrf_exempt  # the signed token is the proof; mail programs post List-Unsubscribe without a form (RFC 8058)
def unfollow(request: HttpRequest, token: str) -> HttpResponse:
    """The link in every digest: a page that asks, and a POST that stops the follow (or every follow)."""
    read = read_unfollow_token(token)
    if read is None:
        return render(request, "accounts/unfollow.html", {"invalid": True}, status=400)
    user_id, follow_id = read
    follows = followed_for_token(user_id, follow_id)
    if request.method == "POST":
        follow_delete(user_id=user_id, follow_id=follow_id)
        return render(request, "accounts/unfollow.html", {"done": True, "follows": follows})
    return render(request, "accounts/unfollow.html", {"follows": follows, "all": follow_id is None})


def followed_for_token(user_id: int, follow_id: int | None) -> list[Any]:
    user = User.objects.filter(pk=user_id).first()
    if user is None:
        return []
    return [item for item in followed(user) if follow_id is None or item.follow.pk == follow_id]
