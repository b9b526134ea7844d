DROP TABLE service_ratings;
DROP TABLE service_items;
