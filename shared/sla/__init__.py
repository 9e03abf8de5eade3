"""The SLA clock: business calendars and business-time arithmetic (pure, no I/O)."""

from shared.sla.calendar import BusinessCalendar, NoWorkingTimeError, WorkingHours
from shared.sla.clock import Pause, SlaClock

__all__ = ["BusinessCalendar", "NoWorkingTimeError", "Pause", "SlaClock", "WorkingHours"]
