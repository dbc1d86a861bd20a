-- Supplies and funds (物资保障, DOMAIN.md §9): items, warehouses, the stock
-- ledger (append-only: every movement is a row that is never changed; a
-- correction is a new row that names the one it corrects), the summaries
-- that keep on-hand fast (proved equal to the ledger by GET /stock/check),
-- donations, funds with their own ledger in fen, and supply requests served
-- front line first. Quantities are integers in the item's unit (alcohol in
-- grams); money is integer fen.

CREATE TABLE items (
  id @ID@,
  unit_id BIGINT NOT NULL REFERENCES units(id),  -- the unit keeping the catalog entry
  name TEXT NOT NULL,
  unit TEXT NOT NULL,                             -- 计量单位: 套, 只, 双, g ...
  spec TEXT NOT NULL DEFAULT '',
  low_stock BIGINT NOT NULL DEFAULT 0,            -- alert at or below this on hand
  created_at BIGINT NOT NULL,
  UNIQUE (name, spec)
);

CREATE TABLE warehouses (
  id @ID@,
  unit_id BIGINT NOT NULL REFERENCES units(id),
  name TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  UNIQUE (unit_id, name)
);
CREATE INDEX warehouses_unit ON warehouses(unit_id);

CREATE TABLE funds (
  id @ID@,
  unit_id BIGINT NOT NULL REFERENCES units(id),
  name TEXT NOT NULL,
  balance_fen BIGINT NOT NULL DEFAULT 0 CHECK (balance_fen >= 0),  -- summary of fund_entries
  created_at BIGINT NOT NULL,
  UNIQUE (unit_id, name)
);

-- Donors' gifts: goods (received into stock by receipts naming the
-- donation) or money (a fund entry). Directed (定向) gifts name the unit
-- subtree and/or the kind of front-line user they may go to.
CREATE TABLE donations (
  id @ID@,
  unit_id BIGINT NOT NULL REFERENCES units(id),   -- the receiving unit
  donor_name TEXT NOT NULL,
  donor_kind TEXT NOT NULL CHECK (donor_kind = 'person' OR donor_kind = 'org'),
  contact TEXT,
  kind TEXT NOT NULL CHECK (kind = 'goods' OR kind = 'money'),
  value_fen BIGINT NOT NULL CHECK (value_fen >= 0),  -- declared value (goods) or amount (money)
  description TEXT,
  directed INTEGER NOT NULL DEFAULT 0,
  directed_unit_id BIGINT REFERENCES units(id),
  directed_kind TEXT,
  purpose TEXT,
  fund_id BIGINT REFERENCES funds(id),
  received_at BIGINT NOT NULL,
  created_by BIGINT,
  client_id TEXT UNIQUE,
  created_at BIGINT NOT NULL
);
CREATE INDEX donations_unit ON donations(unit_id, received_at);

CREATE TABLE fund_entries (
  id @ID@,
  fund_id BIGINT NOT NULL REFERENCES funds(id),
  kind TEXT NOT NULL CHECK (kind = 'allocation' OR kind = 'donation' OR kind = 'spend'),
  amount_fen BIGINT NOT NULL,        -- signed: spending is negative
  balance_fen BIGINT NOT NULL,       -- the fund's balance after this entry
  donation_id BIGINT REFERENCES donations(id),
  ledger_id BIGINT,                  -- the purchase receipt it paid for
  purpose TEXT,
  at BIGINT NOT NULL,
  user_id BIGINT,
  client_id TEXT UNIQUE,
  created_at BIGINT NOT NULL
);
CREATE INDEX fund_entries_fund ON fund_entries(fund_id, id);

CREATE TABLE stock_ledger (
  id @ID@,
  warehouse_id BIGINT NOT NULL REFERENCES warehouses(id),
  item_id BIGINT NOT NULL REFERENCES items(id),
  lot_id BIGINT NOT NULL DEFAULT 0,  -- the directed donation it belongs to, 0 for general stock
  unit_id BIGINT NOT NULL REFERENCES units(id),  -- the warehouse's unit, for scope
  kind TEXT NOT NULL CHECK (kind = 'receipt' OR kind = 'issue' OR kind = 'transfer' OR kind = 'adjustment' OR kind = 'write_off'),
  quantity BIGINT NOT NULL,          -- signed change
  balance BIGINT NOT NULL,           -- on hand of (warehouse, item) after this entry
  at BIGINT NOT NULL,
  user_id BIGINT,
  source TEXT,                       -- receipts: purchase or donation
  supplier TEXT,
  donation_id BIGINT REFERENCES donations(id),
  fund_id BIGINT REFERENCES funds(id),
  unit_price_fen BIGINT,
  amount_fen BIGINT,
  request_id BIGINT,
  to_unit_id BIGINT REFERENCES units(id),  -- issues: who received it
  peer_warehouse_id BIGINT,          -- transfers: the other side
  reason TEXT,
  corrects_id BIGINT REFERENCES stock_ledger(id),
  client_id TEXT UNIQUE,
  created_at BIGINT NOT NULL
);
CREATE INDEX stock_ledger_item ON stock_ledger(item_id, warehouse_id, id);
CREATE INDEX stock_ledger_wh ON stock_ledger(warehouse_id, id);
CREATE INDEX stock_ledger_donation ON stock_ledger(donation_id);

-- The summaries: on hand per (warehouse, item), and per lot within it.
-- Each movement updates both in its transaction; never below zero.
CREATE TABLE stock_on_hand (
  warehouse_id BIGINT NOT NULL REFERENCES warehouses(id),
  item_id BIGINT NOT NULL REFERENCES items(id),
  quantity BIGINT NOT NULL CHECK (quantity >= 0),
  PRIMARY KEY (warehouse_id, item_id)
);
CREATE TABLE stock_lots (
  warehouse_id BIGINT NOT NULL REFERENCES warehouses(id),
  item_id BIGINT NOT NULL REFERENCES items(id),
  lot_id BIGINT NOT NULL,
  quantity BIGINT NOT NULL CHECK (quantity >= 0),
  PRIMARY KEY (warehouse_id, item_id, lot_id)
);

-- Requests from the front line. priority comes from the requester's kind
-- (1 epidemic points and isolation sites, 2 checkpoints, 3 medical teams,
-- 4 communities); the queue is (open, priority, created_at, id).
CREATE TABLE supply_requests (
  id @ID@,
  unit_id BIGINT NOT NULL REFERENCES units(id),
  kind TEXT NOT NULL,
  priority INTEGER NOT NULL,
  requester TEXT NOT NULL,
  note TEXT,
  status TEXT NOT NULL CHECK (status = 'open' OR status = 'partial' OR status = 'done' OR status = 'closed'),
  open INTEGER NOT NULL DEFAULT 1,
  created_by BIGINT,
  created_at BIGINT NOT NULL,
  closed_at BIGINT,
  client_id TEXT UNIQUE
);
CREATE INDEX supply_requests_queue ON supply_requests(open, priority, created_at, id);
CREATE INDEX supply_requests_unit ON supply_requests(unit_id);

CREATE TABLE supply_request_lines (
  request_id BIGINT NOT NULL REFERENCES supply_requests(id),
  item_id BIGINT NOT NULL REFERENCES items(id),
  quantity BIGINT NOT NULL CHECK (quantity > 0),
  issued BIGINT NOT NULL DEFAULT 0 CHECK (issued >= 0 AND issued <= quantity),
  PRIMARY KEY (request_id, item_id)
);
