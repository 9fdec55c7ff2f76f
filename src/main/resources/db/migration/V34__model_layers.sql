-- Models of any depth (issue 8): the stored network's hidden layers in order, as "kind:outputs" items joined by
-- commas, e.g. 'linear:10,relu:32,relu:16' (each layer's inputs are the previous layer's outputs, the first
-- layer's the model's input_dim). The flat parameter vector keeps the core layout, layer by layer. Every model
-- stored before this migration has one ReLU layer of `width` units. width stays: the last hidden layer's units.
-- Portable between H2 (MODE=PostgreSQL) and PostgreSQL.
alter table model add column layers varchar(4000);
update model set layers = 'relu:' || cast(width as varchar(12));
alter table model alter column layers set not null;
