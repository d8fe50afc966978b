"""Working tables (tavoli di lavoro): members, sessions with invitations and ICS calendars, attendance, minutes, written contributions and the outcomes that feed the plan."""
