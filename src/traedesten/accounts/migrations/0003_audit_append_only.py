"""On PostgreSQL (production) the database itself refuses UPDATE and DELETE of audit events.

SQLite, the embedded demo database, relies on the model's guard only: its
test flush deletes rows, where PostgreSQL truncates.
"""

from django.db import migrations

FORWARD = """
CREATE OR REPLACE FUNCTION traedesten_audit_append_only() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'audit events are append-only';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER accounts_auditevent_append_only
  BEFORE UPDATE OR DELETE ON accounts_auditevent
  FOR EACH ROW EXECUTE FUNCTION traedesten_audit_append_only();
"""
BACKWARD = """
DROP TRIGGER IF EXISTS accounts_auditevent_append_only ON accounts_auditevent;
DROP FUNCTION IF EXISTS traedesten_audit_append_only();
"""


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0002_initial")]
    operations = [migrations.RunPython(forward, backward)]
