import { useEffect } from 'react';
import { Link } from '../../router';
import { useOutbox } from '../../stores/outbox';

/** How many recordings wait on this device to be sent. */
export function OutboxNotice() {
  const count = useOutbox((s) => s.items.length);
  useEffect(() => {
    void useOutbox.getState().load();
  }, []);
  if (count === 0) return null;
  return (
    <p className="notice" role="status">
      {count} recording{count === 1 ? '' : 's'} waiting to be sent. <Link to="/feedback">See my feedback</Link>
    </p>
  );
}
