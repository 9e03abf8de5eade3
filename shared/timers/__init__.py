"""SLA timers: scheduling milestones on Cloud Tasks and firing them."""
