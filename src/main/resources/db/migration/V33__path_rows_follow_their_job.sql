-- A path's points and result belong to its job row: deleting the job (DELETE of a finished path, retention)
-- deletes them. Rows left by a job deleted before this migration are removed first. Portable between H2
-- (MODE=PostgreSQL) and PostgreSQL.
delete from path_point where path_id not in (select id from fit);
delete from path_result where path_id not in (select id from fit);
alter table path_point add constraint path_point_job_fk foreign key (path_id) references fit (id) on delete cascade;
alter table path_result add constraint path_result_job_fk foreign key (path_id) references fit (id) on delete cascade;
