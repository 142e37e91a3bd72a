import { fireEvent, render, screen } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import type { Analysis, Transcription } from '../api/types';
import { AnalysisView, sentimentSentence } from './AnalysisView';
import { StatusSteps } from './Status';
import { TranscriptPlayer, wordAt } from './TranscriptPlayer';

const transcription: Transcription = {
  text: 'The checkout page crashes',
  language: 'en',
  confidence: 0.9,
  model: 'tiny.en',
  words: [
    { word: ' The', start: 0, end: 0.3, confidence: 0.9 },
    { word: ' checkout', start: 0.3, end: 0.9, confidence: 0.9 },
    { word: ' page', start: 0.9, end: 1.2, confidence: 0.9 },
    { word: ' crashes', start: 1.2, end: 1.8, confidence: 0.9 },
  ],
};

describe('TranscriptPlayer', () => {
  it('finds the word being spoken', () => {
    expect(wordAt(transcription.words, 0.5)).toBe(1);
    expect(wordAt(transcription.words, 1.2)).toBe(3);
    expect(wordAt(transcription.words, 5)).toBe(-1);
  });

  it('highlights the current word as the audio plays and seeks when a word is clicked', () => {
    const play = vi.spyOn(HTMLMediaElement.prototype, 'play').mockResolvedValue(undefined);
    const { container } = render(<TranscriptPlayer audioUrl="http://blob/a.wav" transcription={transcription} />);
    const audio = container.querySelector('audio')!;
    audio.currentTime = 1.0;
    fireEvent.timeUpdate(audio);
    expect(screen.getByText('page')).toHaveClass('current');
    fireEvent.click(screen.getByText('checkout'));
    expect(audio.currentTime).toBeCloseTo(0.3);
    expect(play).toHaveBeenCalled();
    fireEvent.keyDown(screen.getByText('crashes'), { key: 'Enter' });
    expect(audio.currentTime).toBeCloseTo(1.2);
  });

  it('marks the transcript with its language and direction, and names a detected language', () => {
    const arabic: Transcription = { ...transcription, text: 'التطبيق يتعطل عند الدفع', language: 'ar', languageSource: 'detected', languageProbability: 0.93, words: [] };
    const { rerender } = render(<TranscriptPlayer audioUrl={null} transcription={arabic} />);
    const p = screen.getByText('التطبيق يتعطل عند الدفع');
    expect(p).toHaveAttribute('dir', 'rtl');
    expect(p).toHaveAttribute('lang', 'ar');
    expect(screen.getByText(/Language Arabic \(detected, 93 % sure\)/)).toBeInTheDocument();
    rerender(<TranscriptPlayer audioUrl={null} transcription={{ ...transcription, language: 'de', languageSource: 'given', languageProbability: null }} />);
    expect(screen.getByTestId('transcript')).toHaveAttribute('dir', 'ltr');
    expect(screen.getByText(/Language German, confidence/)).toBeInTheDocument();
  });

  it('says when there is no transcript yet', () => {
    render(<TranscriptPlayer audioUrl={null} transcription={undefined} />);
    expect(screen.getByText('Not transcribed yet.')).toBeInTheDocument();
    expect(screen.getByText('The audio is not available.')).toBeInTheDocument();
  });
});

describe('AnalysisView', () => {
  const analysis: Analysis = {
    sentiment: { label: 'negative', score: -0.72, confidence: 0.88 },
    emotions: [
      { label: 'frustration', score: 0.61 },
      { label: 'anger', score: 0.2 },
    ],
    intent: { label: 'bug_report', confidence: 0.9 },
    actionItems: [{ text: 'Fix the pay button', priority: 'high' }],
    keywords: ['checkout', 'pay button'],
    importanceScore: 0.81,
    modelVersion: 'clf-1',
  };

  it('puts the analysis in plain words', () => {
    render(<AnalysisView analysis={analysis} />);
    expect(screen.getByText(/sounds clearly negative/)).toBeInTheDocument();
    expect(screen.getByText(/reports a problem/)).toBeInTheDocument();
    expect(screen.getByText('High')).toBeInTheDocument();
    expect(screen.getByText('Fix the pay button')).toBeInTheDocument();
    expect(screen.getByText('pay button')).toBeInTheDocument();
    expect(screen.getByLabelText('frustration 61 %')).toBeInTheDocument();
  });

  it('grades the strength of the sentiment', () => {
    expect(sentimentSentence({ label: 'positive', score: 0.1, confidence: 0.5 })).toContain('slightly positive');
    expect(sentimentSentence({ label: 'neutral', score: 0, confidence: 0.5 })).toContain('sounds neutral');
  });
});

describe('StatusSteps', () => {
  it('marks the current stage and announces it', () => {
    render(<StatusSteps status="transcribing" />);
    expect(screen.getByText('Transcribing')).toHaveAttribute('aria-current', 'step');
    expect(screen.getByText('Checking audio')).toHaveClass('done');
    expect(screen.getByText('Status: Transcribing')).toBeInTheDocument();
  });
});
