-- wrk script: every request takes one unit of the hot SKU, as a flash sale's buyers do.
wrk.method = "POST"
wrk.body = '{"sku":"hot","quantity":1}'
wrk.headers["Content-Type"] = "application/json"
