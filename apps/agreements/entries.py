"""What `agreements` contributes (responsibility agreements, their templates, signing and coverage): permission rows, menu, audit labels, exports, widgets,
evidence and figures, the demo, URL mounts, API routes and access rows. Filled in by issue 11."""
