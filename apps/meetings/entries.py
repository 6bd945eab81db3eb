"""What `meetings` contributes (meetings, their sign-in and decisions): permission rows, menu, audit labels, exports, widgets,
evidence and figures, the demo, URL mounts, API routes and access rows. Filled in by issue 11."""
