DROP TABLE risk_alerts;
DROP TABLE bid_rejections;
DROP TABLE participant_controls;
