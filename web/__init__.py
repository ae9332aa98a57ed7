"""The committee's desk: a read-only web view opened from a one-time link, served by the bot's web server."""
