# Pages de l'équipe et de l'administration : l'écran de cuisine, le comptoir, la connexion, l'administration.

## Barre du haut de l'administration

admin-nav-menu = Carte
admin-nav-accounts = Comptes
admin-nav-devices = Écrans de cuisine
admin-nav-apikeys = Clés d'API
admin-nav-reports = Bilans
admin-nav-staff = Comptoir

## Écran de cuisine (gros texte : rester court)

kitchen-title-all = Cuisine
kitchen-title-prep = Cuisine · prépa
kitchen-title-oven = Cuisine · four
kitchen-title-pass = Cuisine · passe
kitchen-urgency-warn = ▲ attente
kitchen-urgency-late = ■ RETARD
kitchen-all-day = À faire
kitchen-nothing-to-make = Rien à faire

## Comptoir

staff-nav-kitchen = Cuisine
staff-nav-availability = Disponibilités
staff-open-orders = Commandes en cours
staff-no-open-orders = Aucune commande en cours.
staff-recent-title = Récupérées ces 30 dernières minutes ({ $count }) : rappeler
staff-collected-at = récupérée à
staff-ordered-at = commandée à
staff-recall = Rouvrir
staff-now-status = #{ $id } est maintenant { $status ->
    [received] reçue
    [preparing] en préparation
    [baking] au four
    [ready] prête à emporter
    [collected] récupérée
    [cancelled] annulée
   *[other] { $status }
}
staff-undo = Défaire
staff-undo-stale = quelqu'un a modifié cette commande entre-temps : impossible de défaire
staff-cancel-open = Annuler…
staff-cancel-why = Pourquoi annuler la commande #{ $id } ?
staff-cancel-submit = Annuler la commande

## Connexion

login-title = Connexion de l'équipe
login-username = Identifiant
login-password = Mot de passe
login-submit = Se connecter
login-sign-out = Se déconnecter

## Écrans de cuisine

devices-title = Écrans de cuisine
devices-name-label = Nom du nouvel écran
devices-name-placeholder = Mur du four
devices-add = Ajouter un écran
devices-pairing-link = Ouvrez ce lien une seule fois sur le nouvel écran (valable 30 minutes) :
devices-added = ajouté à
devices-revoked = révoqué
devices-revoke = Révoquer
devices-pair-title = Associer cet écran
devices-pair-explain = Cet écran affichera les commandes de la cuisine et restera connecté jusqu'à ce qu'un administrateur le révoque.
devices-pair-submit = Associer cet écran

## Comptes de l'équipe

accounts-title = Comptes de l'équipe
accounts-username = Identifiant
accounts-password = Mot de passe
accounts-role = Rôle
accounts-role-staff = Équipe
accounts-role-admin = Administrateur
accounts-role-name-staff = équipe
accounts-role-name-admin = administrateur
accounts-add = Ajouter le compte
accounts-since = depuis
accounts-disabled = désactivé
accounts-disable = Désactiver

## Clés d'API

apikeys-title = Clés d'API
apikeys-intro-before = Les systèmes externes passent et suivent des commandes par
apikeys-intro-link = l'API de commande
apikeys-intro-after = avec une clé :
apikeys-name-label = Qui utilisera la nouvelle clé
apikeys-name-placeholder = Caisse des commandes téléphoniques
apikeys-create = Créer une clé
apikeys-scope-sold-out = Elle peut aussi marquer des articles épuisés
apikeys-scope-orders = commandes
apikeys-scope-orders-sold-out = commandes, épuisés
apikeys-copy-now = Copiez cette clé maintenant : elle ne sera plus affichée.
apikeys-created = créée à
apikeys-revoked = révoquée
apikeys-revoke = Révoquer

## Carte et disponibilités

menuadmin-nav-staff = Comptoir
menuadmin-nav-menu = Carte
menuadmin-title = Carte et disponibilités
menuadmin-admin-only = Seul un administrateur peut modifier les prix et les noms.
menuadmin-items = Articles
menuadmin-item = Article
menuadmin-toppings = Suppléments
menuadmin-topping = Supplément
menuadmin-col-prices = Prix
menuadmin-col-available = Disponible
menuadmin-col-station = Poste
menuadmin-station-of = Poste pour { $name }
station-oven = Ligne du four
station-pass = Passe
menuadmin-rename = Renommer ou décrire { $name }
menuadmin-name = Nom
menuadmin-description = Description
menuadmin-save-wording = Enregistrer le texte
menuadmin-available = Disponible
menuadmin-sold-out = Épuisé
menuadmin-mark-sold-out = Marquer épuisé
menuadmin-back-on-menu = Remettre à la carte
menuadmin-size-price = Prix de { $name } ({ $size })
menuadmin-price = Prix de { $name }
menuadmin-save = Enregistrer

devices-connected-title = Connectés en ce moment
devices-connected-none = Aucun écran n'est connecté au flux de la cuisine.
devices-connected-name = Écran
devices-connected-address = Adresse
devices-connected-since = Connecté à
kitchen-more = +{ $count } de plus · page { $page }/{ $pages }
kitchen-stale = Non connecté depuis { $time } : les commandes peuvent ne pas être à jour
kitchen-later = Plus tard
kitchen-later-items = { $count ->
    [one] 1 article
   *[other] { $count } articles
}
kitchen-later-more = +{ $count } de plus, plus tard
kitchen-announce = Commande { $number } : { $items }
kitchen-announce-sized = { $count } { $name } { $size }
kitchen-announce-item = { $count } { $name }
devices-announce = Annoncer les commandes à voix haute
devices-bump-bar = Clavier de cuisine ou pédale
devices-options-save = Enregistrer
devices-approve-title = Associer un écran par son code
devices-approve-explain = Un écran de cuisine non associé affiche un code de 8 caractères. Saisissez-le ici et nommez l'écran : il se connecte tout seul.
devices-approve-code = Code affiché sur l'écran
devices-approve-submit = Associer l'écran
devices-approved = { $name } est associé : il ouvre la cuisine tout seul.
devices-link-title = Ou associer avec un lien à usage unique
devices-screen-title = Associer cet écran de cuisine
devices-screen-code-label = Code d'association
devices-screen-how = Un administrateur saisit ce code dans Écrans de cuisine (/admin/devices), ou scanne le QR code avec son téléphone. Cet écran ouvre ensuite la cuisine tout seul.
devices-screen-staff = Personnel : se connecter
devices-approve-name = Son nom
devices-connected-status = État
devices-connected-up-to-date = À jour
devices-connected-behind-for = En retard depuis { $age }
devices-connected-updates = Cette liste se met à jour toutes les { $secs } secondes.
staff-filter-label = Afficher les commandes
staff-filter-all = Toutes
staff-search-label = Trouver une commande par numéro ou par nom
staff-search-placeholder = Chercher : numéro ou nom
staff-none-match = Aucune commande en cours ne correspond.
admin-pizzeria-title = Votre pizzeria, vue par les clients
admin-pizzeria-address = Adresse
admin-pizzeria-phone = Téléphone
admin-pizzeria-save = Enregistrer l'adresse et le téléphone
admin-pizzeria-saved = Enregistré : les pages de commande l'affichent désormais.
report-title = Bilans
report-explain = Aujourd'hui et les { $days } derniers jours, à l'heure de la pizzeria ({ $timezone }).
report-totals = Totaux
report-today = Aujourd'hui
report-week = { $days } derniers jours
report-orders = Commandes
report-takings = Recettes
report-late = Tickets en retard
report-late-share = { $percent } %
report-late-count = ({ $late } sur { $finished })
report-late-none = Aucun ticket terminé pour l'instant
report-cancelled = Annulées
report-hours-title = Commandes par heure
report-hours-today = Aujourd'hui
report-hours-average = Journée moyenne, { $days } derniers jours
report-hour = { $hour } h
report-hour-column = Heure
report-show-numbers = Voir les chiffres
report-stages-title = Temps moyen à chaque étape, { $days } derniers jours
report-stages-column = Temps moyen
report-stage-received = En attente de la cuisine
report-stage-preparing = En préparation
report-stage-baking = Au four
report-stage-ready = En attente du client
report-sellers-title = Meilleures ventes, { $days } derniers jours
report-sellers-column = Vendus
report-nothing-yet = Rien à afficher pour l'instant.
report-export = Télécharger les commandes des { $days } derniers jours (CSV)
report-duration-s = { $s } s
report-duration-min-s = { $min } min { $s } s
report-duration-h-min = { $h } h { $min } min
report-csv-order = Commande
report-csv-placed = Passée
report-csv-pickup = Retrait
report-csv-status = Statut
report-csv-customer = Client
report-csv-items = Articles
report-csv-total = Total ({ $currency })
report-csv-ready = Prête
report-csv-collected = Récupérée
report-csv-minutes = Minutes jusqu'à prête
report-csv-late = En retard
report-csv-yes = oui
report-csv-no = non
admin-currency = Les prix sont en
admin-currency-save = Enregistrer la monnaie
admin-currency-explain = La changer ne convertit aucun prix : chacun garde son montant.
admin-currency-saved = Enregistré : les pages ouvertes désormais affichent les prix en { $code }.
