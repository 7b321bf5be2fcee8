-- The browser a session was started from (its User-Agent, shortened), so people can tell their
-- sessions apart when they review and end them.
ALTER TABLE sessions ADD COLUMN user_agent TEXT;
