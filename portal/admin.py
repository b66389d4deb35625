"""The project's own admin pages: staff sharing (their classes live with the staff pages)."""

from portal.staff import admin as staff_admin  # noqa: F401  (registers the sharing admins)
