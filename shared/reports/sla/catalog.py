"""Texts of the SLA report (PDF, CSV headers, e-mail), in pt-BR, es and en."""

from __future__ import annotations

from shared.notify.catalog import LABELS, PRIORITIES, STATUSES
from shared.pages.catalog import text as page_text

LOCALES = ("pt-BR", "es", "en")

_ROWS: dict[str, tuple[str, str, str]] = {
    "title": ("Relatório de SLA", "Informe de SLA", "SLA report"),
    "period": ("Período", "Período", "Period"),
    "filters": ("Filtros", "Filtros", "Filters"),
    "no_filters": (
        "Nenhum: toda a organização",
        "Ninguno: toda la organización",
        "None: the whole organisation",
    ),
    "generated": ("Gerado em", "Generado el", "Generated"),
    "by_creation": (
        "Chamados abertos no período; tempos em horário útil de cada calendário.",
        "Tickets abiertos en el período; tiempos en horario hábil de cada calendario.",
        "Tickets opened in the period; times in each calendar's business hours.",
    ),
    "tickets": ("Chamados", "Tickets", "Tickets"),
    "open": ("Abertos", "Abiertos", "Open"),
    "cancelled": ("Cancelados", "Cancelados", "Cancelled"),
    "breached_tickets": ("Fora do prazo", "Fuera de plazo", "Breached"),
    "at_risk": ("Em risco", "En riesgo", "At risk"),
    "response": ("Primeira resposta", "Primera respuesta", "First response"),
    "resolution": ("Resolução", "Resolución", "Resolution"),
    "compliance": ("Cumprimento do SLA", "Cumplimiento del SLA", "SLA compliance"),
    "met": ("No prazo", "En plazo", "Met"),
    "missed": ("Fora do prazo", "Fuera de plazo", "Missed"),
    "mean": ("Média", "Media", "Mean"),
    "median": ("Mediana", "Mediana", "Median"),
    "p90": ("Percentil 90", "Percentil 90", "90th percentile"),
    "times": (
        "Tempo até a primeira resposta e até a resolução (horário útil)",
        "Tiempo hasta la primera respuesta y hasta la resolución (horario hábil)",
        "Time to first response and to resolution (business time)",
    ),
    "measured": ("Medidos", "Medidos", "Measured"),
    "trend": ("Tendência", "Tendencia", "Trend"),
    "trend_week": (
        "por semana (início na segunda-feira)",
        "por semana (desde el lunes)",
        "by week (from Monday)",
    ),
    "trend_month": ("por mês", "por mes", "by month"),
    "by_type": ("Por tipo", "Por tipo", "By type"),
    "by_priority": ("Por prioridade", "Por prioridad", "By priority"),
    "by_policy": ("Por política de SLA", "Por política de SLA", "By SLA policy"),
    "by_requester_area": (
        "Por área do solicitante",
        "Por área del solicitante",
        "By requester's area",
    ),
    "by_requester_department": (
        "Por departamento do solicitante",
        "Por departamento del solicitante",
        "By requester's department",
    ),
    "by_responsible_area": (
        "Por área do responsável",
        "Por área del responsable",
        "By responsible's area",
    ),
    "by_responsible_department": (
        "Por departamento do responsável",
        "Por departamento del responsable",
        "By responsible's department",
    ),
    "breached_list": (
        "Chamados fora do prazo: os piores",
        "Tickets fuera de plazo: los peores",
        "Breached tickets: the worst",
    ),
    "at_risk_list": (
        "Chamados abertos em risco",
        "Tickets abiertos en riesgo",
        "Open tickets at risk",
    ),
    "of_total": ("{shown} de {total}", "{shown} de {total}", "{shown} of {total}"),
    "number": ("Número", "Número", "Number"),
    "subject": ("Assunto", "Asunto", "Subject"),
    "clock": ("Prazo", "Plazo", "Clock"),
    "due": ("Vencimento", "Vencimiento", "Due"),
    "late_by": ("Atraso (útil)", "Retraso (hábil)", "Late by (business)"),
    "still_open": ("em aberto", "abierto", "still open"),
    "responsible": ("Responsável", "Responsable", "Responsible"),
    "status": ("Situação", "Estado", "Status"),
    "none": ("Nenhum.", "Ninguno.", "None."),
    "money": (
        "Despesas e perdas financeiras",
        "Gastos y pérdidas financieras",
        "Expenses and financial loss",
    ),
    "expenses": ("Despesas", "Gastos", "Expenses"),
    "loss": ("Perda financeira", "Pérdida financiera", "Financial loss"),
    "downtime": ("Parada", "Parada", "Downtime"),
    "by_area": ("Por área do solicitante", "Por área del solicitante", "By requester's area"),
    "by_asset": ("Por ativo", "Por activo", "By asset"),
    "by_category": ("Por categoria", "Por categoría", "By category"),
    "by_expense_category": ("Por tipo de despesa", "Por tipo de gasto", "By kind of expense"),
    "pareto": (
        "Incidentes mais frequentes por ativo (Pareto)",
        "Incidentes más frecuentes por activo (Pareto)",
        "Most frequent incidents per asset (Pareto)",
    ),
    "incidents": ("Incidentes", "Incidentes", "Incidents"),
    "cumulative": ("Acumulado", "Acumulado", "Cumulative"),
    "top_categories": ("Principais categorias", "Categorías principales", "Top categories"),
    "satisfaction": (
        "Satisfação dos solicitantes",
        "Satisfacción de los solicitantes",
        "Requester satisfaction",
    ),
    "ratings": ("Avaliações", "Valoraciones", "Ratings"),
    "score": ("Nota", "Nota", "Score"),
    "agreements": (
        "Os acordos de nível de serviço",
        "Los acuerdos de nivel de servicio",
        "The service level agreements",
    ),
    "objectives": ("Objetivos", "Objetivos", "Objectives"),
    "response_time": ("Tempo de resposta", "Tiempo de respuesta", "Response time"),
    "resolution_time": ("Tempo de resolução", "Tiempo de resolución", "Resolution time"),
    "calendar": ("Calendário", "Calendario", "Calendar"),
    "provider": (
        "Responsabilidades do prestador",
        "Responsabilidades del proveedor",
        "Provider's responsibilities",
    ),
    "user": (
        "Responsabilidades do usuário",
        "Responsabilidades del usuario",
        "User's responsibilities",
    ),
    "csv_note": (
        "A lista completa dos chamados está no CSV que acompanha este relatório.",
        "La lista completa de tickets está en el CSV que acompaña este informe.",
        "The full list of tickets is in the CSV that comes with this report.",
    ),
    "page": ("Página", "Página", "Page"),
    "filter_area": ("Área", "Área", "Area"),
    "filter_department": ("Departamento", "Departamento", "Department"),
    "filter_type": ("Tipo", "Tipo", "Type"),
    "filter_priority": ("Prioridade", "Prioridad", "Priority"),
    "filter_policy": ("Política", "Política", "Policy"),
    "filter_asset": ("Ativo", "Activo", "Asset"),
    "headline": ("Resumo", "Resumen", "Summary"),
    "volume": ("Chamados no período", "Tickets en el período", "Tickets in the period"),
    "cost_and_loss": ("Despesas + perda", "Gastos + pérdida", "Expenses + loss"),
    "other": ("(sem)", "(sin)", "(none)"),
    "mail_subject": (
        "Relatório de SLA {start} a {end}",
        "Informe de SLA {start} a {end}",
        "SLA report {start} to {end}",
    ),
    "mail_body": (
        "O relatório que você pediu está pronto. Os links valem até {expires}.",
        "El informe que pidió está listo. Los enlaces valen hasta el {expires}.",
        "The report you asked for is ready. The links are valid until {expires}.",
    ),
    "mail_pdf": ("Relatório (PDF)", "Informe (PDF)", "Report (PDF)"),
    "mail_csv": ("Todos os chamados (CSV)", "Todos los tickets (CSV)", "Every ticket (CSV)"),
}

TEXTS: dict[str, dict[str, str]] = {
    key: dict(zip(LOCALES, values, strict=True)) for key, values in _ROWS.items()
}


def text(key: str, locale: str, **values: object) -> str:
    entry = TEXTS[key]
    template = entry.get(locale) or entry["pt-BR"]
    return template.format(**values) if values else template


def value_label(dimension: str, value: str, locale: str) -> str | None:
    """Type, priority and status names; None when the directory names it instead."""
    if dimension == "type" and value in LABELS:
        return LABELS[value].get(locale) or LABELS[value]["pt-BR"]
    if dimension == "priority" and value in PRIORITIES:
        return PRIORITIES[value].get(locale) or PRIORITIES[value]["pt-BR"]
    if dimension == "expense" and value in ("labour", "parts", "external_service", "other"):
        return page_text(value, locale)
    if dimension == "status" and value in STATUSES:
        return STATUSES[value].get(locale) or STATUSES[value]["pt-BR"]
    return None
