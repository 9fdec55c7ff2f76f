-- Large datasets store x in chunks of rows (each a matrix in the SFM1 binary form), so that no single value is
-- hundreds of megabytes: H2 copies a bytea value twice while writing it. dataset.x_data is null for such a dataset.
create table dataset_chunk (
    dataset_id  varchar(36)  not null,
    chunk       integer      not null,
    x_data      bytea        not null,
    constraint dataset_chunk_pk primary key (dataset_id, chunk),
    constraint dataset_chunk_dataset_fk foreign key (dataset_id) references dataset (id) on delete cascade
);
alter table dataset alter column x_data drop not null;
