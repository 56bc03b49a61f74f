/**
 * The workshop's plan, in one dialog with a tab per section (municipalities, organisations,
 * funding, work packages, ...). The facilitator edits it; everyone else reads it (the plan's lists
 * are session state: the policy leaves them to the facilitator).
 *
 * Sections are listed in SECTIONS below, one component each in its own file: a new section is
 * one line here.
 */
import { useRef, useState, type ComponentType, type KeyboardEvent } from 'react';
import type { MessageKey } from '../../../shared';
import { DialogFooter, Modal } from '../controls/modal';
import { useT } from '../i18n';
import { useMay } from '../policy';
import { BudgetSection } from './budget-section';
import { CostSharingSection } from './cost-sharing-section';
import { FundingSourcesSection } from './funding-sources-section';
import { MunicipalitiesSection } from './municipalities-section';
import { OrganisationsSection } from './organisations-section';
import { ObjectivesSection } from './objectives-section';
import { OverviewSection } from './overview-section';
import { PackagesSection } from './packages-section';
import { StatusesSection } from './statuses-section';
import { RecurringSection } from './wheel-recurring';
import type { PlanSectionProps } from './plan-fields';
import './plan.css';

export type PlanSection = {
  /** Stable id: the tab's and panel's element ids, and what `initialSection` names. */
  readonly id: string;
  readonly label: MessageKey;
  readonly Component: ComponentType<PlanSectionProps>;
};

/** The plan's sections, in tab order. */
const SECTIONS: readonly PlanSection[] = [
  { id: 'municipalities', label: 'plan.tab.municipalities', Component: MunicipalitiesSection },
  { id: 'organisations', label: 'plan.tab.organisations', Component: OrganisationsSection },
  { id: 'overview', label: 'plan.tab.overview', Component: OverviewSection },
  { id: 'sources', label: 'plan.tab.sources', Component: FundingSourcesSection },
  { id: 'budget', label: 'plan.tab.budget', Component: BudgetSection },
  { id: 'costSharing', label: 'plan.tab.costSharing', Component: CostSharingSection },
  { id: 'packages', label: 'plan.tab.packages', Component: PackagesSection },
  { id: 'objectives', label: 'plan.tab.objectives', Component: ObjectivesSection },
  { id: 'recurring', label: 'recurring.title', Component: RecurringSection },
  { id: 'statuses', label: 'plan.tab.statuses', Component: StatusesSection },
];

export function PlanDialog({ initialSection, onClose }: { initialSection?: string; onClose: () => void }) {
  const t = useT();
  const editable = useMay({ kind: 'facilitate' });
  const [current, setCurrent] = useState(
    SECTIONS.some((s) => s.id === initialSection) ? initialSection : SECTIONS[0]?.id,
  );
  const tabs = useRef<HTMLDivElement>(null);
  const section = SECTIONS.find((s) => s.id === current) ?? SECTIONS[0];

  // Arrow keys, Home and End move between tabs (and select them), as in any tab list. The list
  // stands on the left, so Up and Down move too; Left and Right as well, as people expect of tabs.
  const onTabKey = (event: KeyboardEvent<HTMLDivElement>): void => {
    const at = SECTIONS.findIndex((s) => s.id === current);
    const to =
      event.key === 'ArrowDown' || event.key === 'ArrowRight'
        ? (at + 1) % SECTIONS.length
        : event.key === 'ArrowUp' || event.key === 'ArrowLeft'
          ? (at - 1 + SECTIONS.length) % SECTIONS.length
          : event.key === 'Home'
            ? 0
            : event.key === 'End'
              ? SECTIONS.length - 1
              : null;
    if (to === null) return;
    event.preventDefault();
    const next = SECTIONS[to];
    if (!next) return;
    setCurrent(next.id);
    tabs.current?.querySelector<HTMLElement>(`#plan-tab-${next.id}`)?.focus();
  };

  return (
    <Modal titleId="plan-dialog-title" title={t('plan.title')} wide onClose={onClose}>
      <div className="plan-body">
        {!editable && <p className="muted plan-read-only">{t('plan.readOnly')}</p>}
        <div
          ref={tabs}
          className="plan-tabs"
          role="tablist"
          aria-orientation="vertical"
          aria-label={t('plan.sections')}
          onKeyDown={onTabKey}
        >
          {SECTIONS.map((s) => (
            <button
              key={s.id}
              id={`plan-tab-${s.id}`}
              type="button"
              role="tab"
              className="plan-tab"
              aria-selected={s.id === section?.id}
              aria-controls={`plan-panel-${s.id}`}
              tabIndex={s.id === section?.id ? 0 : -1}
              onClick={() => setCurrent(s.id)}
            >
              {t(s.label)}
            </button>
          ))}
        </div>
        {section && (
          <div
            id={`plan-panel-${section.id}`}
            className="plan-panel"
            role="tabpanel"
            aria-labelledby={`plan-tab-${section.id}`}
          >
            <section.Component editable={editable} close={onClose} />
          </div>
        )}
      </div>
      <DialogFooter>
        <button type="button" className="secondary-button" onClick={onClose}>
          {t('plan.close')}
        </button>
      </DialogFooter>
    </Modal>
  );
}
