"""On PostgreSQL the database refuses TRUNCATE of the audit log too (UPDATE and DELETE are refused since 0003).

A session may set `traedesten.audit_truncate = 'allow'`: the test suite does, so that Django can empty its test
database between tests. The application never does.
"""

from django.db import migrations

FORWARD = """
CREATE OR REPLACE FUNCTION traedesten_audit_no_truncate() RETURNS trigger AS $$
BEGIN
  IF current_setting('traedesten.audit_truncate', true) = 'allow' THEN
    RETURN NULL;
  END IF;
  RAISE EXCEPTION 'audit events are append-only';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER accounts_auditevent_no_truncate
  BEFORE TRUNCATE ON accounts_auditevent
  FOR EACH STATEMENT EXECUTE FUNCTION traedesten_audit_no_truncate();
"""
BACKWARD = """
DROP TRIGGER IF EXISTS accounts_auditevent_no_truncate ON accounts_auditevent;
DROP FUNCTION IF EXISTS traedesten_audit_no_truncate();
"""


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0007_one_gate")]
    operations = [migrations.RunPython(forward, backward)]
