import { useEffect } from 'react';
import { useOrgs } from '../stores/org';

/** The header's organisation picker: lists, the dashboard and new recordings follow the choice. */
export function OrgSwitcher() {
  const items = useOrgs((s) => s.items);
  const currentId = useOrgs((s) => s.currentId);
  const load = useOrgs((s) => s.load);
  const choose = useOrgs((s) => s.choose);
  useEffect(() => {
    void load().catch(() => undefined); // offline: the picker stays empty, recording still works
  }, [load]);
  if (items.length < 2) return null;
  return (
    <label className="small">
      <span className="visually-hidden">Organisation</span>
      <select aria-label="Organisation" value={currentId ?? ''} onChange={(e) => choose(e.target.value || null)}>
        {items.map(({ org, role }) => (
          <option key={org.id} value={org.id}>
            {org.personal ? `${org.name} (personal)` : org.name}
            {role !== 'owner' ? ` · ${role}` : ''}
          </option>
        ))}
      </select>
    </label>
  );
}
