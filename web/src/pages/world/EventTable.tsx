// The asset's events in the chart's window, as a table.
import { when } from '../../lib/format.ts';
import type { WorldEvent } from '../../lib/types.ts';

export function EventTable({ events }: { events: WorldEvent[] }) {
  if (events.length === 0)
    return <p className="muted">No work orders, alerts or anomalies in this window.</p>;
  return (
    <div className="table-wrap">
      <table>
        <caption className="sr-only">Events</caption>
        <thead>
          <tr>
            <th scope="col">Time</th>
            <th scope="col">Kind</th>
            <th scope="col">Id</th>
            <th scope="col">Type</th>
            <th scope="col">Description</th>
          </tr>
        </thead>
        <tbody>
          {events.map((e) => (
            <tr key={e.event_id}>
              <td>{when(e.event_time)}</td>
              <td>{e.event_group.replace('_', ' ').toLowerCase()}</td>
              <td>{e.event_id}</td>
              <td>
                {e.event_category ?? ''} {e.event_type ?? ''}
              </td>
              <td>{e.description ?? ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
