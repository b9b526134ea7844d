-- Reference data: the departments of the district's three-in-one supervision
-- (实施方案 三、五; 管理办法 §22). `industries` lists the category:subtype keys an industry
-- regulator supervises; regulator assignment reads it.
INSERT INTO departments (id, name, kind, industries) VALUES
    ('gongguanban', '密云区公共资源管理办公室（公管办）', 'comprehensive_regulator', ''),
    ('centre', '密云区公共资源交易中心', 'centre', ''),
    ('jijian', '密云区纪检监察机关', 'inspector', ''),
    ('zjw', '密云区住房和城乡建设委员会', 'industry_regulator', 'construction:building,construction:municipal'),
    ('fgw', '密云区发展和改革委员会', 'industry_regulator', 'construction:key_project'),
    ('czj', '密云区财政局', 'industry_regulator', 'procurement:goods,procurement:works,procurement:services'),
    ('swj', '密云区水务局', 'industry_regulator', 'construction:water'),
    ('glfj', '北京市公路局密云公路分局', 'industry_regulator', 'construction:transport'),
    ('yllhj', '密云区园林绿化局', 'industry_regulator', 'other:landscaping'),
    ('gzfj', '北京市规划和自然资源委员会密云分局', 'industry_regulator', 'land_mining:land_use_right,land_mining:mining_right'),
    ('gzw', '密云区人民政府国有资产监督管理委员会', 'industry_regulator', 'state_property:disposal,state_property:transfer'),
    ('wjw', '密云区卫生健康委员会', 'industry_regulator', 'other:medical_procurement'),
    ('cgw', '密云区城市管理委员会', 'industry_regulator', 'other:advertising');
