"""Use cases: one function per change a user can make to a citizen's record, called by every channel.

Each takes the gate's Clearance for the citizen, requires the section it changes, and calls the domain service that
validates, writes and audits. Pages, the API and the CLI call these; the importer calls the same validation rules
(see docs/architecture.md).
"""
