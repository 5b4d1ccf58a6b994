"""The intelligence pages: reports (grading, alerts), subjects and their
profiles, and links. The network, hotspots and problem profiles have their
own packages."""
