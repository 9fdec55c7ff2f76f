-- Classification (issue 21): a dataset whose one target column holds labels keeps its sorted classes (a JSON array:
-- strings for a text label column, whose stored y holds class indices; integers for a column of few distinct
-- integers, whose stored y holds the integers); a model keeps the loss it was fitted with and its classes (JSON
-- {type, delta, classes}, see model.ModelLoss). Null for rows stored before: no labels, squared loss.
alter table dataset add column classes_json varchar(100000);
alter table model add column loss_json varchar(100000);
