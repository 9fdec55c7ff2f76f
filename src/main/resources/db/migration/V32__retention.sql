-- Retention (sparsefit.retention.*): the cleanup job finds expired rows by these times.
create index dataset_created_at on dataset (created_at);
create index fit_finished_at on fit (finished_at);
create index model_created_at on model (created_at);
