"""E-mail subscriptions (double opt-in, one-click unsubscribe), the log of updates they are made of, weekly digests and the notifications of formal acts."""
