-- Batch scorings (issue 22) are jobs on the same queue as fits and paths (kind SCORING). Their predictions are
-- stored in blocks of consecutive rows (each an N_i x outputs matrix in the SFM1 binary form), one block per block
-- of the dataset read, so neither the scoring nor a download holds the whole result. A block belongs to its job row:
-- deleting the job (DELETE of a finished scoring, retention) deletes it. Portable between H2 (MODE=PostgreSQL) and
-- PostgreSQL.
alter table fit drop constraint fit_kind_check;
alter table fit add constraint fit_kind_check check (kind in ('FIT', 'PATH', 'SCORING'));

create table scoring_block (
    scoring_id  varchar(36)  not null,
    idx         integer      not null,
    row_start   integer      not null,
    row_count   integer      not null,
    y_data      bytea        not null,
    constraint scoring_block_pk primary key (scoring_id, idx),
    constraint scoring_block_job_fk foreign key (scoring_id) references fit (id) on delete cascade
);
