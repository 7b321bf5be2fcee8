-- Knowledge articles are filed under the desk's categories (the same tree tickets use), so
-- readers can browse by category and agents find the articles of a ticket's category. The
-- category is part of each version, like the rest of the content; the article row carries the
-- latest version's for listing.
ALTER TABLE articles ADD COLUMN category_id BIGINT REFERENCES categories (id);
ALTER TABLE article_versions ADD COLUMN category_id BIGINT REFERENCES categories (id);
CREATE INDEX articles_category_idx ON articles (tenant_id, category_id);
