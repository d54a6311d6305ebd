import * as vscode from 'vscode';
import type { Feature } from '../feature';
import { ReviewController } from '../aiReview/reviewController';
import { ReviewStoreService } from '../aiReview/reviewStoreService';
import { ProvenanceService } from '../provenance/provenanceService';
import { FindingsCodeActionProvider } from './codeActionProvider';
import { FindingsCodeLensProvider } from './codeLensProvider';
import { FindingsCommands } from './commands';
import { FindingsController } from './findingsController';
import { FindingsHoverProvider } from './hoverProvider';
import { createAiCodeTestApi } from './testApi';
import { createWorkerScanEngine } from './workerScanEngine';
import { AiCodeSettingsService } from './settings';
import { SCANNABLE_LANGUAGE_IDS } from '../../core/review';

/**
 * The AI code lens: provenance (which code an assistant wrote), findings (scanner in a worker →
 * diagnostics, lenses, hovers, quick fixes) and the review workflow (view, decisions file,
 * status bar). The scanner worker and its tree-sitter wasm load on the first scan, i.e. when a
 * document of a scanned language is open.
 */
export const codeFindingsFeature: Feature = {
  id: 'codeFindings',
  activate(context, services) {
    const log = services.log;
    const items: vscode.Disposable[] = [];
    const add = <T extends vscode.Disposable>(d: T): T => (items.push(d), d);
    const settings = add(new AiCodeSettingsService(log, ['findings', 'provenance']));
    const provenance = add(new ProvenanceService(context, settings, log));
    const reviews = add(new ReviewStoreService(settings, log));
    const engine = add(createWorkerScanEngine(context.extensionUri, log));
    const findings = add(new FindingsController(engine, provenance, reviews, settings, log));
    const selector = SCANNABLE_LANGUAGE_IDS.flatMap((language) => [{ language, scheme: 'file' }, { language, scheme: 'untitled' }, { language, scheme: 'vscode-remote' }]);
    add(vscode.languages.registerCodeLensProvider(selector, add(new FindingsCodeLensProvider(findings, settings))));
    add(vscode.languages.registerHoverProvider(selector, new FindingsHoverProvider(findings)));
    add(vscode.languages.registerCodeActionsProvider(selector, new FindingsCodeActionProvider(findings), { providedCodeActionKinds: FindingsCodeActionProvider.kinds }));
    add(new FindingsCommands(findings, provenance));
    const review = add(new ReviewController(findings, reviews, log));
    services.api.aiCode = createAiCodeTestApi(findings, provenance, review);
    // Files with AI ranges stored from earlier sessions are scanned in the background, so the
    // review view lists their flagged snippets without the user opening them.
    const timer = setTimeout(() => {
      void (async () => {
        for (const uri of await provenance.storedFiles()) await findings.scanFile(uri);
      })();
    }, 1500);
    add({ dispose: () => clearTimeout(timer) });
    return vscode.Disposable.from(...items.reverse());
  },
};
