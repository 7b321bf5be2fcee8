-- The canonical form of each e-mail address (trimmed, lower-cased, NFC-normalised), unique, so
-- that two accounts cannot differ only by Unicode normalisation ("josé" typed precomposed or as
-- "e" + combining accent). SQL cannot NFC-normalise portably, so the column starts empty and
-- `Store::migrate` fills it right after the migrations run, oldest account first. When existing
-- accounts already collide, the oldest one gets the key; the later ones keep NULL (allowed by
-- the unique index on both backends), are logged as a warning at every start, and cannot be
-- signed into by e-mail until an administrator gives them a different address. The migration
-- itself therefore never fails on existing data.
ALTER TABLE users ADD COLUMN email_canonical TEXT;
CREATE UNIQUE INDEX users_email_canonical_idx ON users (email_canonical);
