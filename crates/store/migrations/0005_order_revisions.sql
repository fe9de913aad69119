-- v5: a revision number per order, moved by every change the InStock walk reads (state, creation
-- time, name, and the code, quantity, order and position of its lines), so the engine keeps its
-- InStock input in memory and re-reads only the orders changed since it last looked
-- (`Store::reserving_changes`). Kept by triggers, like `reservations`, so no writer can forget it.
-- A revision is the highest one so far plus one: it only grows, in commit order.
ALTER TABLE orders ADD COLUMN rev INTEGER NOT NULL DEFAULT 0;
CREATE INDEX orders_rev ON orders (rev);

CREATE TRIGGER orders_rev_insert AFTER INSERT ON orders
BEGIN
    UPDATE orders SET rev = (SELECT max(rev) FROM orders) + 1 WHERE id = NEW.id;
END;

CREATE TRIGGER orders_rev_update AFTER UPDATE OF state, created_at, name ON orders
WHEN OLD.state IS NOT NEW.state OR OLD.created_at IS NOT NEW.created_at
  OR OLD.name IS NOT NEW.name
BEGIN
    UPDATE orders SET rev = (SELECT max(rev) FROM orders) + 1 WHERE id = NEW.id;
END;

CREATE TRIGGER lines_rev_insert AFTER INSERT ON order_lines
BEGIN
    UPDATE orders SET rev = (SELECT max(rev) FROM orders) + 1 WHERE id = NEW.order_id;
END;

CREATE TRIGGER lines_rev_delete AFTER DELETE ON order_lines
BEGIN
    UPDATE orders SET rev = (SELECT max(rev) FROM orders) + 1 WHERE id = OLD.order_id;
END;

CREATE TRIGGER lines_rev_update AFTER UPDATE ON order_lines
WHEN OLD.code IS NOT NEW.code OR OLD.quantity IS NOT NEW.quantity
  OR OLD.order_id IS NOT NEW.order_id OR OLD.position IS NOT NEW.position
BEGIN
    UPDATE orders SET rev = (SELECT max(rev) FROM orders) + 1
    WHERE id IN (OLD.order_id, NEW.order_id);
END;
