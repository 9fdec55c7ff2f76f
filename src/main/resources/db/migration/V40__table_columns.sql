-- Tables with names (issue 22): a dataset keeps its column schema (names, kinds, levels, missing cells, scales;
-- JSON, see dataset.TableSchema) and optional sample weights; a model keeps how it reads a table (its input
-- encoding and standardization, JSON) and its provenance. Null for rows stored before: unnamed numeric columns.
alter table dataset add column columns_json varchar(1000000);
alter table dataset add column w_data bytea;
alter table model add column inputs_json varchar(1000000);
alter table model add column provenance_json varchar(1000000);
alter table model add column name varchar(200);
alter table model add column tags varchar(2000);
alter table model add column train_rmse double precision;
alter table model add column objective double precision;
alter table fit add column warnings_json varchar(100000);
