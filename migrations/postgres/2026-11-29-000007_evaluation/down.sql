DROP TABLE section_results;
DROP TABLE expert_scores;
DROP TABLE expert_draws;
DROP TABLE expert_relations;
DROP TABLE experts;
