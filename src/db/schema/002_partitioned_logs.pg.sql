-- Partitioned logs (PostgreSQL only; the shared 002 file is empty): the
-- audit log becomes a table range-partitioned by month on `at` (BIGINT Unix
-- seconds), so a province's years of logs keep their indexes small and old
-- months can be detached and archived (partition.c creates the partitions
-- <table>_pYYYYMM ahead; docs/operations.md). Same columns and indexes as in
-- 001; the differences a partitioned table needs:
--  * the id is a sequence default, not an identity column (a partition
--    attached later, e.g. a restored archive, then shares the sequence);
--  * the primary key includes the partition key: (id, at).
-- Rows already there move into partitions made for their months.

CREATE TEMPORARY TABLE audit_log_v1 ON COMMIT DROP AS SELECT * FROM audit_log;
DROP TABLE audit_log;

CREATE SEQUENCE audit_log_id_seq AS BIGINT;
CREATE TABLE audit_log (
  id BIGINT NOT NULL DEFAULT nextval('audit_log_id_seq'),
  at BIGINT NOT NULL,
  user_id BIGINT,
  device_id BIGINT,
  actor TEXT NOT NULL,
  method TEXT NOT NULL,
  route TEXT NOT NULL,
  path TEXT NOT NULL,
  status INTEGER NOT NULL,
  record_type TEXT,
  record_id BIGINT,
  action TEXT NOT NULL,
  detail TEXT,
  ip TEXT,
  PRIMARY KEY (id, at)
) PARTITION BY RANGE (at);
ALTER SEQUENCE audit_log_id_seq OWNED BY audit_log.id;
CREATE INDEX audit_at ON audit_log(at);
CREATE INDEX audit_user ON audit_log(user_id, at);
CREATE INDEX audit_record ON audit_log(record_type, record_id);

DO $$
DECLARE
  m TIMESTAMP;
BEGIN
  FOR m IN SELECT DISTINCT date_trunc('month', to_timestamp(at) AT TIME ZONE 'UTC')
           FROM audit_log_v1 LOOP
    EXECUTE format('CREATE TABLE %I PARTITION OF audit_log FOR VALUES FROM (%s) TO (%s)',
                   'audit_log_p' || to_char(m, 'YYYYMM'),
                   EXTRACT(EPOCH FROM m)::BIGINT,
                   EXTRACT(EPOCH FROM m + INTERVAL '1 month')::BIGINT);
  END LOOP;
END $$;

INSERT INTO audit_log SELECT * FROM audit_log_v1;
SELECT setval('audit_log_id_seq', COALESCE((SELECT MAX(id) FROM audit_log_v1), 0) + 1, false);
