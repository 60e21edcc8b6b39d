-- A tempting fix: the legacy code chokes on NULL notes, so add the column
-- back NOT NULL with an empty default.  The legacy code stops failing, but
-- every customer's notes now read '' where a note was acknowledged: the
-- scenario declares '' as the column's default, so the oracle counts each
-- as a lost field.  A default is not the data.
-- @expect verdict=fail
ALTER TABLE customers ADD COLUMN notes TEXT NOT NULL DEFAULT '';
