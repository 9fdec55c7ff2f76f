-- The points of a regularization path, written one by one as the path runs (a restarted path deletes its old
-- points first). Each point's model is a row of model. Portable between H2 (MODE=PostgreSQL) and PostgreSQL.
create table path_point (
    path_id     varchar(36)  not null,
    idx         integer      not null,
    lambda      double precision not null,
    model_id    varchar(36)  not null,
    point_json  varchar(1000000) not null,
    constraint path_point_pk primary key (path_id, idx)
);

-- The exact 1-D solution path's breakpoints and the path's summary (lambda_max, solver), written at the end
-- of a path; JSON as UTF-8 bytes, as it can exceed a varchar for long paths.
create table path_result (
    path_id       varchar(36)  not null primary key,
    summary_json  varchar(100000) not null,
    breakpoints   bytea        not null
);
