"""The accounts' forms: every field labelled and every error translated, shown beside its field."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from portal.accounts.models import Account
from teams.models import User

# The address is the account's user name, which holds at most 150 characters.
EMAIL_MAX_LENGTH = 150


class SignUpForm(forms.Form):
    email = forms.EmailField(
        label=_("E-mail address"),
        max_length=EMAIL_MAX_LENGTH,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        help_text=_("We send a link to this address; your account opens when you follow it."),
    )
    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("At least 8 characters, not only digits, and not a common password."),
    )
    password2 = forms.CharField(
        label=_("The same password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    language = forms.ChoiceField(label=_("Language of e-mails"), choices=settings.LANGUAGES)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        first, second = data.get("password1"), data.get("password2")
        if first and second and first != second:
            self.add_error("password2", _("The two passwords differ. Type the same password twice."))
        elif first:
            try:
                password_validation.validate_password(
                    first, User(username=data.get("email", ""), email=data.get("email", ""))
                )
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return data


class SignInForm(AuthenticationForm):
    """Django's sign-in (django-axes counts its failures), by e-mail address, or staff by their user name."""

    error_messages = {
        "invalid_login": _(
            "That e-mail address and password do not match an open account. Check both; a new account opens "
            "only after you follow the link we e-mailed."
        ),
        "inactive": _("This account is not open yet: follow the link in the e-mail we sent."),
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.fields["username"].label = _("E-mail address (staff: user name)")
        self.fields["username"].widget.attrs["autocomplete"] = "username"

    def clean_username(self) -> str:
        # Patrons' user names are their addresses in lower case.
        username = self.cleaned_data.get("username", "")
        return username.lower() if "@" in username else username


class AccountForm(forms.ModelForm):
    class Meta:
        model = Account
        fields = ["language", "frequency"]
        widgets = {"frequency": forms.RadioSelect}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


class DeleteAccountForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("Yes, delete my account, everything I follow and my settings. This cannot be undone."),
        error_messages={"required": _("Tick the box to say that you want your account deleted.")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
