"""Every write of the work app, by sub-domain: tasks, catalogue, plans, schedules."""


class WorkError(Exception):
    """A rule of the work app was broken; the message is for the user and says what to do."""
