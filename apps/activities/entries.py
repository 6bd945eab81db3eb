"""What `activities` contributes (clean-up drives, publicity, equipment and volunteers): permission rows, menu, audit labels, exports, widgets,
evidence and figures, the demo, URL mounts, API routes and access rows. Filled in by issue 11."""
