"""A resource whose web address changes forgets what the link checker found at the old one.

Done in the database, so that every way of changing an address does it: the admin form, restoring an earlier
version (whose link health is the current row's: it is not kept in the history), imports and plain SQL.
"""

from django.db import migrations

FORGET = r"""
CREATE FUNCTION resources_resource_forget_link_health() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  -- A new address has not been checked yet.
  NEW.link_status := NULL;
  NEW.link_error := '';
  NEW.link_final_url := '';
  NEW.link_checked_at := NULL;
  NEW.link_failures := 0;
  RETURN NEW;
END
$$;

CREATE TRIGGER resources_resource_forget_link_health
  BEFORE UPDATE OF url ON resources_resource
  FOR EACH ROW WHEN (OLD.url IS DISTINCT FROM NEW.url)
  EXECUTE FUNCTION resources_resource_forget_link_health();
"""

REMEMBER = r"""
DROP TRIGGER resources_resource_forget_link_health ON resources_resource;
DROP FUNCTION resources_resource_forget_link_health();
"""


class Migration(migrations.Migration):
    dependencies = [("resources", "0016_search_words_without_locks")]

    operations = [migrations.RunSQL(FORGET, REMEMBER)]
