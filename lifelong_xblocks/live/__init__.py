"""Live sessions: schedule and phases, seats and the waiting list, check-in (online and by QR
code), staff reschedules, the calendar file.  Plain functions over the models; no XBlock imports."""
