-- 低效用地台账的标记：没有整治提升方案的地块（任务 13 要求每一宗都有方案）。此前保存的记录按
-- “整治方案”（第 7 个字段）是否为空重新标记，方案覆盖率由此计算。
-- The low-efficiency land ledger now flags a parcel with no remediation plan (task 13 asks one
-- for every parcel): records saved before are flagged by whether their plan (the 7th field) is
-- empty; the plan coverage is counted from the flag.

UPDATE ledger_records
   SET flagged = CASE WHEN COALESCE(fields::json ->> 6, '') = '' THEN 1 ELSE 0 END
 WHERE ledger = 'land';
