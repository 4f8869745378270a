"""Follows, notifications (in-app and e-mail), question routing and escalation.

Decisions worth knowing:
- Follows reuse what exists: tags and people are journals' ``TagFollow`` and
  ``PersonFollow`` (a followed tag covers questions and entries alike), questions
  are Q&A's ``QuestionFollow``. Communities: members follow theirs implicitly;
  ``CommunityFollow`` lets anyone else follow one without joining.
- A notification is grouped per (recipient, ``group_key``) while unread (a partial
  unique constraint); new events bump its ``count`` and time. A group is e-mailed
  at most once while unread.
- Fan-out runs in background tasks from ids, after commit; journal notifications go
  through ``Entry.objects.visible_to`` per recipient, and are withdrawn when an
  entry becomes less visible or is deleted.
- Periodic work (escalation, review reminders, digests) re-enqueues itself; start
  it once with ``manage.py schedule_notifications``.
"""
