-- A round no longer collected (waste.round-retired on its stream, projected by WasteProjection). The row
-- and its properties' assignments stay, for the record and so they can be moved to another round; lookups
-- (Rounds.ForUprnAsync) skip a retired round, so its properties are then on no round of that container
-- unless another assignment (a seeded range) covers them. Null: collected.
alter table waste.rounds add column retired_at timestamptz;
