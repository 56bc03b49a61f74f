/** English UI and export strings: the reference locale whose keys every other locale must have. */
export const en = {
  'app.name': 'Talkoo',
  'board.needs': 'Needs analysis',
  'board.themes': 'Theme clustering',
  'board.actions': 'Action planning',
  'home.title': 'Workshops',
  'home.open': 'Open',
  'home.empty': 'No workshops on this server yet.',
  'home.loadFailed': 'Could not list the workshops on this server: {reason}',
  'workshop.loading': 'Connecting to the workshop…',
  'workshop.notFound': 'This workshop has no content yet, or the link is wrong.',
  'workshop.readOnlyNewer':
    'This workshop was saved by a newer version of Talkoo (schema {version}). It is shown read-only.',
  'workshop.back': 'All workshops',
  'needs.unsorted': 'No stakeholder group',
  'needs.empty': 'No needs yet.',
  'needs.votes': '{count} votes',
  'themes.unsorted': 'Unsorted notes',
  'themes.noteCount': '{count} notes',
  'themes.empty': 'No themes yet.',
  'actions.empty': 'No actions yet.',
  'actions.title': 'Action',
  'actions.themes': 'Themes',
  'actions.owner': 'Owner',
  'actions.partners': 'Partners',
  'actions.schedule': 'Schedule',
  'actions.budget': 'Budget',
  'actions.funding': 'Funding',
  'actions.indicator': 'Indicator',
  'actions.status': 'Status',
  'actions.noTheme': 'No theme',
  'actions.total': 'Total',
  'status.planned': 'Planned',
  'status.ongoing': 'Ongoing',
  'status.done': 'Done',
  'connection.connecting': 'Connecting…',
  'connection.online': 'Online',
  'connection.offline': 'Offline',
  'nav.boards': 'Boards',
} as const;

/** Every message key. */
export type MessageKey = keyof typeof en;
/** A full set of messages for one language. */
export type Messages = Readonly<Record<MessageKey, string>>;
