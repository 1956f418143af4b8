"""A text shown to a person: a plain string or a lazy translation (`gettext_lazy`), translated where it is rendered."""

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # django-stubs names the lazy string type, which Django itself has only as Promise
    from django.utils.functional import _StrOrPromise as Label
else:
    from django.utils.functional import Promise

    Label = str | Promise

__all__ = ["Label"]
